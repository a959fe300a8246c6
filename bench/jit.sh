# Sourced by bench/run, bench/packet and bench/udp: how busy the JVM's JIT compiler is, so that a Convey
# warm-up run is repeated while the JIT still compiles (compiling the code a test runs is a one-time cost,
# not one per connection or request).

# jit_ticks PID: CPU ticks of the JVM's JIT compiler threads so far.
jit_ticks() {
  local task sum=0
  for task in /proc/"$1"/task/*; do
    case $(cat "$task/comm" 2>/dev/null) in
      C1\ CompilerThre*|C2\ CompilerThre*) sum=$((sum + $(awk '{ print $14 + $15 }' "$task/stat" 2>/dev/null || echo 0))) ;;
    esac
  done
  echo "$sum"
}

# thread_ticks PID: CPU ticks so far of a Convey JVM's threads by role, as "loop jit gc health other": the event
# loops, the JIT's compilers, the VM thread (where the serial collector's pauses run, with other safepoint
# work), the carriers of virtual threads (the health checks run there) and everything else (admin API, stats,
# access-log writer). What the tail latency of a run could come from, besides the event loop's own work. One awk
# reads every thread's files, so that measuring costs little.
thread_ticks() {
  awk '
    FILENAME ~ /comm$/ { name[FILENAME] = $0; next }
    { sub(/^.*\) /, ""); t = $12 + $13; c = FILENAME; sub(/stat$/, "comm", c); n = name[c]
      if (n ~ /^convey-proxy/) l += t; else if (n ~ /^C[12] CompilerThre/) j += t
      else if (n == "VM Thread") g += t; else if (n ~ /^ForkJoinPool/) h += t; else o += t }
    END { print l + 0, j + 0, g + 0, h + 0, o + 0 }' /proc/"$1"/task/*/comm /proc/"$1"/task/*/stat 2>/dev/null
}
