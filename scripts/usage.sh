# Sourced by the scripts here, first thing: `script_usage "$0" "$@"`; also
# the helpers more than one of them uses (want_count, median, stats_retired).
# -h or --help (anywhere) prints the script's header comment (the comment lines after
# the shebang) and exits 0; any other argument that starts with "-" and is
# not one of the script's OPTIONS (a space-separated list set before the
# call) is refused: one line, exit 2, before anything is built or run.
script_usage() {
  local self=$1 a
  shift
  for a in "$@"; do
    case "$a" in
      -h|--help)
        awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$self"
        exit 0 ;;
    esac
  done
  for a in "$@"; do
    case "$a" in
      -*) [[ " ${OPTIONS:-} " == *" $a "* ]] ||
            { echo "$(basename "$self"): unknown option '$a'; see '$self --help'" >&2; exit 2; } ;;
    esac
  done
}
# A whole number > 0 in $2, else one line naming what $1 wants, and exit 2.
want_count() {
  [[ "$2" =~ ^[1-9][0-9]*$ ]] ||
    { echo "$(basename "$0"): $1 must be a whole number above 0, got '$2'" >&2; exit 2; }
}
# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# The instructions a run retired, from its `trimode run --stats` output on stdin.
stats_retired() { awk '/instructions retired/ && !n++ { print $3 }'; }  # (reads to the end: no SIGPIPE upstream)
