#!/usr/bin/env bash
# make test-matrix: the whole test suite under the engine settings that change float32 arithmetic
# (thread count, oneDNN on/off, the instruction set libtorch, oneDNN and OpenCV may use), so that the
# tests' tolerances are shown to hold on any x86-64 CPU, not only on the machine that wrote them. Slow: not
# part of CI. Usage: Tools/test/matrix.sh [SWIFT_TEST_ARGS...] (after `swift build --build-tests`).
# Prints one row per configuration and exits non-zero when any configuration failed; each run's
# full log is kept in .build/test-matrix/NAME.log.
set -uo pipefail
cd "$(dirname "$0")/../.."
logs=.build/test-matrix
mkdir -p "$logs"

# name | environment. Debian's OpenCV dispatches to AVX2 at most (it warns about any other feature
# named in OPENCV_CPU_DISABLE), so only the baseline row needs to hold it back.
configs=(
    "threads-1|OMP_NUM_THREADS=1"
    "threads-2|OMP_NUM_THREADS=2"
    "onednn-off|KINEMA_ONEDNN=0"
    "isa-avx2|ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2"
    "isa-default|ATEN_CPU_CAPABILITY=default DNNL_MAX_CPU_ISA=SSE41 OPENCV_CPU_DISABLE=AVX2,FMA3,AVX,POPCNT"
)
# MATRIX_ONLY=name,name runs just those configurations.
if [ -n "${MATRIX_ONLY:-}" ]; then
    chosen=()
    for entry in "${configs[@]}"; do
        [[ ",$MATRIX_ONLY," == *",${entry%%|*},"* ]] && chosen+=("$entry")
    done
    configs=("${chosen[@]}")
fi

summary=()
failed=0
for entry in "${configs[@]}"; do
    name=${entry%%|*}
    settings=${entry#*|}
    printf '\033[1mtest-matrix:\033[0m %-12s %s\n' "$name" "$settings"
    start=$SECONDS
    env $settings swift test --skip-build "$@" >"$logs/$name.log" 2>&1
    status=$?
    result=$(grep -E "Test run with" "$logs/$name.log" | tail -n 1)
    [ -n "$result" ] || result="(no summary line: see $logs/$name.log)"
    summary+=("$(printf '%-12s exit %-3s %4ss  %s' "$name" "$status" $((SECONDS - start)) "$result")")
    if [ "$status" -ne 0 ]; then
        failed=1
        grep -E "✘ Test .*(failed|recorded)|recorded an issue" "$logs/$name.log" | grep -v "known issue" | head -n 20
    fi
done
echo
echo "test-matrix summary (logs in $logs/):"
printf '  %s\n' "${summary[@]}"
exit $failed
