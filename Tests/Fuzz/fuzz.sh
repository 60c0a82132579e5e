#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (see README "Fuzzing").
#
#   Tests/Fuzz/fuzz.sh build                  one instrumented debug build of every target, in .build-fuzz
#   Tests/Fuzz/fuzz.sh run SECONDS [TARGET…]  fuzz each target (all by default) for SECONDS, starting
#                                             from its committed corpus; new inputs go to
#                                             .build-fuzz/corpus/TARGET, crashes to .build-fuzz/crashes/
#   Tests/Fuzz/fuzz.sh list                   the target names
#
# A run prints one summary line per target (executions, coverage, corpus) and exits 1 if any
# target crashed, leaked or hung (libFuzzer's -timeout, 10 s per input).
set -euo pipefail
cd "$(dirname "$0")/../.."

targets=(HTTPRequestFuzz HTTPResponseFuzz WebSocketFrameFuzz UTF8Fuzz JSONFuzz ChatProtocolFuzz
    PersonalityYAMLFuzz TriggerFuzz TemplateFuzz ProxyProtocolFuzz RESPFuzz)

case "${1:-}" in
build)
    PERSONA_FUZZ=1 swift build --scratch-path .build-fuzz -Xswiftc -warnings-as-errors
    ;;
list)
    printf '%s\n' "${targets[@]}"
    ;;
run)
    seconds="${2:?usage: fuzz.sh run SECONDS [TARGET…]}"
    shift 2
    if [ "$#" -gt 0 ]; then targets=("$@"); fi
    bin="$(PERSONA_FUZZ=1 swift build --scratch-path .build-fuzz --show-bin-path)"
    failed=0
    for target in "${targets[@]}"; do
        work=".build-fuzz/corpus/$target"
        crashes=".build-fuzz/crashes/$target"
        mkdir -p "$work" "$crashes"
        log="$crashes/last-run.log"
        # The first corpus folder receives new inputs; the committed seeds are only read.
        if SWIFT_BACKTRACE=enable=no "$bin/$target" -max_total_time="$seconds" -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" \
            "$work" "Tests/Fuzz/Corpus/$target" >"$log" 2>&1; then
            status=ok
        else
            status=FAILED
            failed=1
        fi
        runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
        summary="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 | sed -E 's/^#[0-9]+[[:space:]]+DONE[[:space:]]+//' || true)"
        echo "$target: $status, ${runs:-?} executions in ${seconds}s; ${summary}"
        if [ "$status" = FAILED ]; then grep -E 'property violated|Fatal error|ERROR: libFuzzer|SUMMARY' "$log" | head -5 || true; fi
    done
    exit "$failed"
    ;;
*)
    sed -n '2,12p' "$0"
    exit 64
    ;;
esac
