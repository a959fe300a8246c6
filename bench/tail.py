#!/usr/bin/env python3
"""Where a new connection's latency goes, from bench/tail.bt's events (bench/run, BENCH_TAIL=on).

Usage: bench/tail.py BALANCER FRONTEND_PORT BACKEND_PORT EVENTS_FILE
Prints "balancer, phase, mean over all connections, mean over the slowest 1%" rows (milliseconds), tab-separated.

Each connection is followed on its two legs by ports. The client's leg: wrk sends the request (W), the balancer
accepts (A), sends the response on (S), and wrk receives it (w). The leg to the backend: the balancer connects (C)
and sends the request on (S), and the backend answers (R). Nothing in the kernel's events ties the two legs
together, so they are paired in order per balancer thread: its n-th accept with its n-th connect, shifted by the
few connections accepted before the trace began and connected after. The shift is the one for which the most pairs
are possible (connected after the accept, request sent on after it, response sent on after the backend's answer);
only those pairs count. Each phase runs from the later of its start and the previous phase's end, so the phases add
up to wrk's latency (its send to its receive).
"""
import sys
from collections import defaultdict

PHASES = ["listen queue (send to accept)", "accept to connect", "connect to request sent on",
          "the backend", "response sent on", "the client's wake-up", "total (wrk's latency)"]
MAX_SHIFT = 256


def latest(records, port, kind):
    """The record of the connection on PORT that an event of KIND belongs to: the port's latest one, or a new one
    when the latest has had its KIND already (the port is used again). A connection may be accepted before or after
    wrk sends its request."""
    record = records.get(port)
    if record is None or kind in record:
        record = records[port] = {}
    return record


def first(records, port, kind, ns):
    """Notes the first event of KIND on the connection PORT carries now (later ones are more of the same bytes)."""
    record = records.get(port)
    if record is not None:
        record.setdefault(kind, ns)


def read(path, frontend, backend):
    """The connections' records: per thread, the accepted (client leg) and the connected (backend leg) in order."""
    clients, servers = {}, {}       # client port / the balancer's port to the backend -> the latest record there
    accepted, connected = defaultdict(list), defaultdict(list)
    events = []
    with open(path) as lines:
        for line in lines:
            fields = line.split()
            if len(fields) == 5 and len(fields[0]) == 1:
                events.append((int(fields[1]), fields[0], fields[2], int(fields[3]), int(fields[4])))
    events.sort()   # bpftrace prints each CPU's buffer in turn
    for ns, kind, tid, local, remote in events:
        if kind == "W" and remote == frontend:
            latest(clients, local, "W")["W"] = ns
        elif kind == "A":
            record = latest(clients, remote, "A")
            record["A"] = ns
            accepted[tid].append(record)
        elif kind == "w" and remote == frontend:
            first(clients, local, "w", ns)
        elif kind == "S" and local == frontend:
            first(clients, remote, "S", ns)
        elif kind == "C" and remote == backend:
            record = {"C": ns}
            servers[local] = record
            connected[tid].append(record)
        elif kind == "S" and remote == backend:
            first(servers, local, "S", ns)
        elif kind == "R" and local == backend:
            first(servers, remote, "R", ns)
    return accepted, connected


def possible(client, server):
    return (all(k in client for k in "WASw") and all(k in server for k in "CSR") and server["C"] >= client["A"]
            and server["S"] >= client["A"] and client["S"] >= server["R"])


def pairs(accepted, connected):
    """The possible pairs of one thread at the shift with the most of them."""
    best = []
    for shift in range(-MAX_SHIFT, MAX_SHIFT + 1):
        found = [(c, s) for c, s in zip(accepted[max(shift, 0):], connected[max(-shift, 0):]) if possible(c, s)]
        if len(found) > len(best):
            best = found
    return best


def main():
    balancer, frontend, backend, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    accepted, connected = read(path, frontend, backend)
    rows, traced = [], sum(1 for records in accepted.values() for r in records if "w" in r)
    for tid in accepted:
        for client, server in pairs(accepted[tid], connected.get(tid, [])):
            marks = [client["W"], client["A"], server["C"], server["S"], server["R"], client["S"], client["w"]]
            phases, reached = [], marks[0]
            for mark in marks[1:]:
                phases.append(max(mark - reached, 0))
                reached = max(mark, reached)
            phases.append(reached - marks[0])
            rows.append([p / 1e6 for p in phases])
    print(f"{balancer}\tconnections: traced / paired\t{traced}\t{len(rows)}")
    if not rows:
        return
    rows.sort(key=lambda r: r[-1])
    slowest = rows[len(rows) * 99 // 100:]
    for i, name in enumerate(PHASES):
        print(f"{balancer}\t{name}\t{sum(r[i] for r in rows) / len(rows):.3f}\t"
              f"{sum(r[i] for r in slowest) / len(slowest):.3f}")
    for name, columns in (("in the balancer (queue, accept to request, response)", (0, 1, 2, 4)),
                          ("at the backend and the client (the load CPU)", (3, 5))):
        print(f"{balancer}\t{name}\t{sum(r[i] for r in rows for i in columns) / len(rows):.3f}\t"
              f"{sum(r[i] for r in slowest for i in columns) / len(slowest):.3f}")
    print(f"{balancer}\tp50 / p99 of the total\t{rows[len(rows) // 2][-1]:.3f}\t{rows[len(rows) * 99 // 100][-1]:.3f}")


if __name__ == "__main__":
    main()
