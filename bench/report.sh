# The report of bench/run.sh (sourced by it; reads its RESULT, ROUNDS, WORK, PORTKEY_VERSION and PORTKEY_MISSING): one round's table
# and targets (report), and each target's median over the rounds (summary).

# One target measured twice in a round (KEY and KEY.b): the mean of the two as KEY — requests/s and latency percentiles averaged, CPU per
# request over both, counts added.
combine() { # key
  local kind
  for kind in many one; do
    RESULT[$1.$kind]=$(awk -v a="${RESULT[$1.$kind]}" -v b="${RESULT[$1.b.$kind]}" 'BEGIN {
      split(a, A, " "); split(b, B, " "); n = A[4] + B[4];
      printf "%.1f %.0f %.0f %d %d %d %.0f\n", (A[1] + B[1]) / 2, (A[2] + B[2]) / 2, (A[3] + B[3]) / 2, n, A[5] + B[5], A[6] + B[6], (n > 0) ? (A[7] * A[4] + B[7] * B[4]) / n : 0
    }')
    unset "RESULT[$1.b.$kind]"
  done
}

report() {
  local round=$1
  printf '\nRound %s of %s — %s, %s cores, load average %s\n' "$round" "$ROUNDS" "$(date -u +%FT%TZ)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-24s %10s %9s %9s %10s %10s %11s %9s %7s\n' "target" "req/s" "p50 ms" "p99 ms" "p50 ms@1" "p99 ms@1" "+p50 ms@1" "CPU µs/r" "errors"
  local direct_p50_one
  direct_p50_one=$(field direct.one 2)
  for key in direct forwarder gateway portkey resolve; do
    [ -n "${RESULT[$key.many]:-}" ] || continue
    local label
    case $key in
      direct) label="provider, direct" ;;
      forwarder) label="bare forwarder (floor)" ;;
      gateway) label="ByokPortal gateway" ;;
      portkey) label="Portkey gateway $PORTKEY_VERSION" ;;
      resolve) label="ByokPortal resolve" ;;
    esac
    awk -v label="$label" -v many="${RESULT[$key.many]}" -v one="${RESULT[$key.one]}" -v direct="$direct_p50_one" -v key="$key" 'BEGIN {
      split(many, m, " "); split(one, o, " ");
      overhead = (key == "direct" || key == "resolve") ? "" : sprintf("%+.3f", (o[2] - direct) / 1000);
      printf "%-24s %10.0f %9.2f %9.2f %10.3f %10.3f %11s %9.0f %7d\n", label, m[1], m[2] / 1000, m[3] / 1000, o[2] / 1000, o[3] / 1000, overhead, m[7], m[5] + m[6] + o[5] + o[6]
    }'
  done

  printf '\nTargets (issue 8):\n'
  awk -v g="${RESULT[gateway.many]}" -v f="${RESULT[forwarder.many]}" -v p="${RESULT[portkey.many]:-}" -v go="${RESULT[gateway.one]}" \
      -v d="${RESULT[direct.one]}" -v r="${RESULT[resolve.many]}" -v missing="$PORTKEY_MISSING" 'BEGIN {
    split(g, G, " "); split(f, F, " "); split(p, P, " "); split(go, GO, " "); split(d, D, " "); split(r, R, " ");
    if (p != "") printf "  gateway / Portkey requests/s  %8.1fx   (at least 10x)      %s\n", G[1] / P[1], (G[1] >= 10 * P[1]) ? "met" : "MISSED";
    else printf "  gateway / Portkey requests/s  Portkey %s\n", missing;
    printf "  gateway / bare forwarder      %8.1f%%   (at least 80%%)      %s\n", 100 * G[1] / F[1], (G[1] >= 0.8 * F[1]) ? "met" : "MISSED";
    printf "  p50 overhead at 1 connection  %8.3f ms (under 0.3 ms)     %s\n", (GO[2] - D[2]) / 1000, (GO[2] - D[2] < 300) ? "met" : "MISSED";
    printf "  resolve requests/s            %8.0f    (over 20,000)      %s\n", R[1], (R[1] > 20000) ? "met" : "MISSED";
    printf "  resolve p99                   %8.2f ms (under 5 ms)       %s\n", R[3] / 1000, (R[3] < 5000) ? "met" : "MISSED";
  }'
  # This round's targets, for the summary over rounds: gateway/forwarder %, gateway/Portkey x, p50 overhead ms, resolve req/s, resolve p99 ms.
  awk -v g="${RESULT[gateway.many]}" -v f="${RESULT[forwarder.many]}" -v p="${RESULT[portkey.many]:-}" -v go="${RESULT[gateway.one]}" \
      -v d="${RESULT[direct.one]}" -v r="${RESULT[resolve.many]}" 'BEGIN {
    split(g, G, " "); split(f, F, " "); split(p, P, " "); split(go, GO, " "); split(d, D, " "); split(r, R, " ");
    printf "%.1f %s %.3f %.0f %.2f\n", 100 * G[1] / F[1], (p != "") ? sprintf("%.1f", G[1] / P[1]) : "-", (GO[2] - D[2]) / 1000, R[1], R[3] / 1000
  }' >> "$WORK/rounds.txt"
  if [ "$(for k in "${!RESULT[@]}"; do echo "${RESULT[$k]}" | awk '{print $5 + $6}'; done | awk '{s += $1} END {print s}')" != "0" ]; then
    printf '  Some answers were not 2xx or failed (the errors column): those figures do not count.\n'
  fi
}

# Over several rounds, the median of each target (one round's figures swing with this VM's neighbours: see docs/benchmarks.md).
summary() {
  median() { awk -v c="$1" '$c != "-" {print $c}' "$WORK/rounds.txt" | sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
  printf '\nMedian of %s rounds (issue 8):\n' "$ROUNDS"
  awk -v fw="$(median 1)" -v pk="$(median 2)" -v ovh="$(median 3)" -v rps="$(median 4)" -v p99="$(median 5)" 'BEGIN {
    if (pk != "-") printf "  gateway / Portkey requests/s  %8.1fx   (at least 10x)      %s\n", pk, (pk >= 10) ? "met" : "MISSED";
    printf "  gateway / bare forwarder      %8.1f%%   (at least 80%%)      %s\n", fw, (fw >= 80) ? "met" : "MISSED";
    printf "  p50 overhead at 1 connection  %8.3f ms (under 0.3 ms)     %s\n", ovh, (ovh < 0.3) ? "met" : "MISSED";
    printf "  resolve requests/s            %8.0f    (over 20,000)      %s\n", rps, (rps > 20000) ? "met" : "MISSED";
    printf "  resolve p99                   %8.2f ms (under 5 ms)       %s\n", p99, (p99 < 5) ? "met" : "MISSED";
  }'
}
