public import ReleaseCore
