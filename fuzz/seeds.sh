#!/usr/bin/env bash
# Builds the seed corpus of one fuzz target into DIR: fuzz/seeds.sh TARGET DIR
# Seeds: the examples' and tests' Dockerfiles, ../shared/conformance (BuildKit's parser and
# shell vectors, real-world Dockerfiles) when present, the pathological inputs' small cases, and
# the target's regression inputs (fuzz/regressions/TARGET/, crashes found earlier).
set -euo pipefail
target=$1 out=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${DFPLAY_SHARED_DIR:-$root/../shared}
mkdir -p "$out"
n=0
add() {  # file
  local f=$1
  [ -f "$f" ] || return 0
  [ "$(stat -c %s "$f")" -le 65536 ] || return 0
  n=$((n + 1))
  cp "$f" "$out/seed-$n"
}
dockerfiles() {
  find "$root/examples" "$root/tests/scenarios" "$root/tests/oracle-builds" "$root/tests/checks" -name 'Dockerfile*' -type f 2>/dev/null
  [ -d "$shared/conformance" ] && find "$shared/conformance" \( -name 'Dockerfile' -o -name '*.Dockerfile' \) -type f 2>/dev/null
  true
}
case "$target" in
  parser|build|rebuild)
    # DFPLAY_FUZZ_SEEDS (default 400) caps the Dockerfiles: script/fuzz takes fewer for short runs,
    # where replaying 400 whole builds under ASan would be all the run does.
    while read -r f; do add "$f"; done < <(dockerfiles | head -"${DFPLAY_FUZZ_SEEDS:-400}") ;;
  expand)
    # BuildKit's shell vectors ("PLATFORM|word | result"): the word, with a small environment.
    for f in "$shared"/conformance/buildkit/shell/*; do
      [ -f "$f" ] || continue
      while IFS= read -r word; do
        n=$((n + 1))
        printf '\x00%s\nPWD=/home\nSHELL=bash\nHOME=/root\n' "$word" > "$out/seed-$n"
      done < <(grep -v '^#' "$f" | awk -F'|' 'NF >= 3 { sub(/[ \t]+$/, "", $2); print $2 }' | head -300)
    done ;;
  dockerignore)
    while read -r f; do
      n=$((n + 1))
      { cat "$f"; printf '\0src/app.ts\nnode_modules/x/y\ndocs/README.md\n.git/HEAD\n'; } > "$out/seed-$n"
    done < <(find "$root/examples" "$root/tests" \( -name '*.dockerignore' -o -name '.dockerignore' \) -type f 2>/dev/null | head -100) ;;
  workspace_input)
    n=$((n + 1)); printf '{"dockerfile": "FROM alpine\\nRUN echo hi\\n", "files": {"a.txt": "x"}, "options": {"target": "", "build_args": {"A": "1"}}}' > "$out/seed-$n"
    n=$((n + 1)); printf '{"dockerfile": "FROM a", "files": [{"path": "b", "content": "c", "mode": 493}], "options": {"platform": "linux/arm64", "no_cache": true}}' > "$out/seed-$n"
    n=$((n + 1)); printf '{"files": [["x", "y"]], "options": {"buildArgs": ["A=1"], "noCacheFilter": ["s"], "digest_overrides": {"alpine": "sha256:00"}}}' > "$out/seed-$n" ;;
  *) echo "seeds: unknown target $target" >&2; exit 2 ;;
esac
if [ -d "$root/fuzz/regressions/$target" ]; then
  for f in "$root/fuzz/regressions/$target"/*; do [ -f "$f" ] && cp "$f" "$out/"; done
fi
echo "seeds: $(ls "$out" | wc -l) inputs for $target in $out"
