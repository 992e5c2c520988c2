// zlib, the system's library (Debian: zlib1g-dev, which the Swift toolchain needs anyway): the cloud-release
// executable inflates gzip traces with it (Docs/Performance.md, "zlib").
#include <zlib.h>
