#!/bin/sh
# checkpoint.sh TRIMODE SCRATCH N RUN-ARGS...
# Whole-platform save/restore (docs/checkpoint.md): runs RUN-ARGS to the end in
# one go, then in two halves (--save-at N, --restore), and fails unless the
# halves' stdout concatenated is byte-identical to the one-go stdout, the exit
# codes are equal and --stats reports the same instruction and cycle counts
# and simulated time. Then damages the checkpoint three ways (another format
# version, truncated, one payload byte flipped) and fails unless each is
# refused with exit 201 and a single error line.
set -u
tm=$1; dir=$2; n=$3; shift 3
mkdir -p "$dir"
ck=$dir/ck.bin
fail() { echo "FAIL: $*"; exit 1; }

"$tm" run "$@" --stats >"$dir/one.out" 2>"$dir/one.err"; rc1=$?
"$tm" run "$@" --save-at "$n" "$ck" >"$dir/a.out" 2>"$dir/a.err"; rca=$?
[ $rca -eq 0 ] || fail "--save-at exited $rca: $(cat "$dir/a.err")"
grep -q "checkpoint after $n instructions" "$dir/a.err" || fail "no checkpoint written: $(cat "$dir/a.err")"
"$tm" run --restore "$ck" --stats >"$dir/b.out" 2>"$dir/b.err"; rc2=$?
[ $rc1 -eq $rc2 ] || fail "exit code $rc1 in one go, $rc2 after restore"
cat "$dir/a.out" "$dir/b.out" | cmp -s - "$dir/one.out" || fail "stdout differs (one go: $dir/one.out; halves: a.out + b.out)"
for key in "instructions retired" "cycles " "simulated time"; do
  one=$(grep "^$key" "$dir/one.err"); two=$(grep "^$key" "$dir/b.err")
  [ -n "$one" ] || fail "no '$key' in --stats"
  [ "$one" = "$two" ] || fail "'$one' in one go, '$two' after restore"
done
echo "same output, exit code $rc1, $(grep '^cycles' "$dir/one.err")"

refused() {  # refused FILE WORD: restoring FILE exits 201 with one line containing WORD
  "$tm" run --restore "$1" >/dev/null 2>"$dir/err"; rc=$?
  [ $rc -eq 201 ] || fail "$1: exit $rc, expected 201"
  [ "$(wc -l <"$dir/err")" -eq 1 ] || fail "$1: not one line: $(cat "$dir/err")"
  grep -q "$2" "$dir/err" || fail "$1: '$2' not in: $(cat "$dir/err")"
  echo "refused: $(cat "$dir/err")"
}
cp "$ck" "$dir/version.bin"; printf '\377' | dd of="$dir/version.bin" bs=1 seek=8 conv=notrunc 2>/dev/null
refused "$dir/version.bin" "version"
head -c 200 "$ck" >"$dir/truncated.bin"
refused "$dir/truncated.bin" "truncated"
cp "$ck" "$dir/corrupt.bin"
byte=$(od -An -tu1 -j 300 -N1 "$ck" | tr -d ' ')
printf "\\$(printf '%03o' $(( (byte + 1) % 256 )))" | dd of="$dir/corrupt.bin" bs=1 seek=300 conv=notrunc 2>/dev/null
refused "$dir/corrupt.bin" "checksum"
