#!/usr/bin/env bash
# Runs each fuzz target for a while with libFuzzer (`make fuzz`, docs/fuzzing.md):
#   Fuzz/run.sh <kinema-fuzz built for fuzzing> <seconds per target> <work folder> <target>…
# New inputs that reach new code go to <work>/corpus/<target>/ (git-ignored; kept between runs,
# so coverage accumulates); any crash, hang or memory blow-up is copied to
# Fuzz/regressions/<target>/, which FuzzCorpusTests replays in `make test`. Ends with one
# line per target (executions, exec/s, coverage, findings) and fails if anything was found.
set -u
binary=$1 seconds=$2 work=$3
shift 3
fuzz=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work/logs"
summary=$work/logs/summary.txt
: >"$summary"
found=0
for target in "$@"; do
    mkdir -p "$work/corpus/$target" "$work/artifacts/$target" "$work/tmp" "$fuzz/regressions/$target"
    # An earlier run's artifacts are in Fuzz/regressions already: count only this run's.
    rm -f "$work/artifacts/$target"/*
    log=$work/logs/$target.log
    echo "== $target: ${seconds}s (log: $log)"
    start=$(date +%s)
    # Leaks are not findings here (libtorch and the Swift runtime keep caches to exit); a single
    # allocation over 1 GiB, 2 GiB resident or 10 s on one input are.
    ASAN_OPTIONS=detect_leaks=0 KINEMA_FUZZ_TARGET=$target TMPDIR=$work/tmp \
        "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
        -max_len=8192 -print_final_stats=1 -artifact_prefix="$work/artifacts/$target/" \
        "$work/corpus/$target" "$fuzz/corpus/$target" "$fuzz/regressions/$target" >"$log" 2>&1
    status=$?
    elapsed=$(($(date +%s) - start))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
    findings=0
    for artifact in "$work/artifacts/$target"/*; do
        [ -f "$artifact" ] || continue
        cp "$artifact" "$fuzz/regressions/$target/" && findings=$((findings + 1))
    done
    [ "$status" -eq 0 ] || [ "$findings" -gt 0 ] || findings="exit $status"
    [ "$findings" = 0 ] || found=1
    echo "$target: ${elapsed}s, ${runs:-?} executions, ${speed:-?} exec/s, ${coverage:-no coverage line}, findings: $findings" | tee -a "$summary"
done
exit $found
