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
# access-log writer). What the tail latency of a run could come from, besides the event loop's own work.
thread_ticks() {
  local task
  for task in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(cat "$task/comm" 2>/dev/null)" "$(awk '{ print $14 + $15 }' "$task/stat" 2>/dev/null || echo 0)"
  done | awk -F'\t' '
    $1 ~ /^convey-proxy/ { l += $2; next }
    $1 ~ /^C[12] CompilerThre/ { j += $2; next }
    $1 == "VM Thread" { g += $2; next }
    $1 ~ /^ForkJoinPool/ { h += $2; next }
    NR > 1 { o += $2 }
    END { print l + 0, j + 0, g + 0, h + 0, o + 0 }'
}
