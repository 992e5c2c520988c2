#!/usr/bin/env python3
"""A plain-Python model of the release rules, with one `heapq` of deadlines: the baseline issue 25 compares the
replay with ("the 100k trace at least 40x faster than a plain-heapq Python model of the rules").

It reads a cloud-release trace (Docs/Traces.md) and applies, per provider, the rules the generated traces
exercise, as Docs/Semantics.md states them (seed profiles):

- both: a launch runs at once; stop needs Running, start needs Stopped; a released instance is not found;
  a scheduled release fires at its time whatever the protection (A1/A3, T2);
- Aliyun ECS: a release needs a stopped instance, or `force` for a running one (AD4); protection and a
  subscription refuse it; no recycle bin, so `restore` is refused; scheduled release rounds up to the minute
  (A1); arrears release a pay-as-you-go instance after 15 days (A3);
- Tencent CVM: a release puts a pay-as-you-go instance in the recycle bin for 2 hours (T2, TD4), `immediately`
  skips it; `restore` takes it back out, stopped; protection refuses a release (TD9); arrears shut a
  pay-as-you-go instance down at 2 hours and release it at 26 hours (T2).

It is a simplification of the Swift models (no transitional states, no billing, no resource fates, one refusal
code), so it does less work per record than the replay: a speed baseline that favours Python, not a second
implementation to trust. It prints a JSON summary (records, applied, rejected, deadlines fired, instances by
provider and phase) so that a reader can see it ran the trace.

    python3 Benchmarks/scripts/heapq_model.py TRACE.csv
"""
import heapq
import json
import sys
from datetime import datetime, timezone

HOUR = 3600
DAY = 24 * HOUR

# Deadline kinds, in the same-second firing order of Docs/Traces.md.
SCHEDULED, BIN_EXPIRY, ARREARS_SHUTDOWN, ARREARS_RELEASE, EXPIRY = range(5)


def seconds(text):
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


class Instance:
    __slots__ = ("provider", "account", "phase", "prepaid", "protected", "deadlines", "order")

    def __init__(self, provider, account, prepaid, protected, order):
        self.provider = provider
        self.account = account
        self.phase = "running"
        self.prepaid = prepaid
        self.protected = protected
        self.deadlines = {}
        self.order = order


class Model:
    def __init__(self):
        self.instances = {}
        self.by_account = {}
        self.arrears = set()
        self.heap = []
        self.applied = 0
        self.rejected = 0
        self.fired = 0
        self.records = 0

    def set_deadline(self, instance, kind, at):
        instance.deadlines[kind] = at
        heapq.heappush(self.heap, (at, instance.order, kind, instance))

    def advance(self, now):
        heap = self.heap
        while heap and heap[0][0] <= now:
            at, _, kind, instance = heapq.heappop(heap)
            self.fired += 1
            if instance.deadlines.get(kind) != at:
                continue  # cancelled or replaced
            del instance.deadlines[kind]
            if kind == ARREARS_SHUTDOWN:
                instance.phase = "stopped"
            else:
                self.release(instance)

    def release(self, instance):
        instance.phase = "released"
        instance.deadlines.clear()

    def launch(self, now, account, name, words):
        provider = words[0]
        prepaid = words[1] != "postpaid"
        instance = Instance(provider, account, prepaid, len(words) > 2 and words[2] == "protected", len(self.instances))
        self.instances[name] = instance
        self.by_account.setdefault(account, []).append(instance)
        if account in self.arrears and not prepaid:
            self.begin_arrears(instance, now)
        return True

    def begin_arrears(self, instance, now):
        if instance.prepaid or instance.phase == "released":
            return
        if instance.provider == "aliyun":
            self.set_deadline(instance, ARREARS_RELEASE, now + 15 * DAY)
        else:
            self.set_deadline(instance, ARREARS_SHUTDOWN, now + 2 * HOUR)
            self.set_deadline(instance, ARREARS_RELEASE, now + 26 * HOUR)

    def command(self, now, instance, op, words):
        if instance.phase == "released":
            return False
        aliyun = instance.provider == "aliyun"
        if op == "stop":
            if instance.phase != "running":
                return False
            instance.phase = "stopped"
        elif op == "start":
            if instance.phase != "stopped":
                return False
            instance.phase = "running"
        elif op == "release":
            if instance.protected or instance.prepaid:
                return False
            if aliyun:
                if "immediately" in words or (instance.phase == "running" and "force" not in words):
                    return False
                if instance.phase == "recycleBin":
                    return False
                self.release(instance)
            else:
                if "force" in words:
                    return False
                if "immediately" in words:
                    self.release(instance)
                elif instance.phase == "recycleBin":
                    return False
                else:
                    instance.phase = "recycleBin"
                    instance.deadlines.clear()
                    self.set_deadline(instance, BIN_EXPIRY, now + 2 * HOUR)
        elif op == "schedule-release":
            if instance.prepaid and aliyun:
                return False
            at = seconds(words[0])
            if aliyun:
                at = -(-at // 60) * 60
            self.set_deadline(instance, SCHEDULED, at)
        elif op == "cancel-schedule":
            instance.deadlines.pop(SCHEDULED, None)
        elif op == "protect":
            if instance.prepaid and aliyun:
                return False
            instance.protected = words[0] == "on"
        elif op == "restore":
            if aliyun or instance.phase != "recycleBin" or instance.account in self.arrears:
                return False
            instance.phase = "stopped"
            instance.deadlines.pop(BIN_EXPIRY, None)
        else:
            return False
        return True

    def run(self, lines):
        header_seen = False
        for line in lines:
            if not line or line[0] == "#":
                continue
            if not header_seen:
                header_seen = True
                continue
            self.records += 1
            time, account, name, op, arg = line.rstrip("\n").split(",")
            now = seconds(time)
            self.advance(now)
            words = arg.split(" ") if arg else []
            if op == "launch":
                ok = name not in self.instances and self.launch(now, account, name, words)
            elif op == "arrears":
                self.arrears.add(account)
                for instance in self.by_account.get(account, ()):
                    self.begin_arrears(instance, now)
                ok = True
            elif op == "top-up":
                self.arrears.discard(account)
                for instance in self.by_account.get(account, ()):
                    instance.deadlines.pop(ARREARS_SHUTDOWN, None)
                    instance.deadlines.pop(ARREARS_RELEASE, None)
                ok = True
            else:
                instance = self.instances.get(name)
                ok = instance is not None and self.command(now, instance, op, words)
            if ok:
                self.applied += 1
            else:
                self.rejected += 1

    def summary(self):
        phases = {}
        for instance in self.instances.values():
            counts = phases.setdefault(instance.provider, {})
            counts[instance.phase] = counts.get(instance.phase, 0) + 1
        return {"records": self.records, "applied": self.applied, "rejected": self.rejected,
                "deadlinesFired": self.fired, "instances": phases}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: heapq_model.py TRACE.csv")
    model = Model()
    with open(sys.argv[1], encoding="utf-8") as trace:
        model.run(trace)
    print(json.dumps(model.summary(), sort_keys=True))


if __name__ == "__main__":
    main()
