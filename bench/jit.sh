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
