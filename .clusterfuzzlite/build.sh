#!/bin/bash -eu
# Builds every cargo-fuzz target and copies it to $OUT (ClusterFuzzLite / OSS-Fuzz contract:
# $SRC holds the checkout, $OUT receives the fuzzers; base-builder-rust provides nightly cargo
# and cargo-fuzz). Seed corpora come from vectors/ as zip files named <target>_seed_corpus.zip.
cd "$SRC/webauthn-conformance"
cargo fuzz build -O
release_dir=fuzz/target/x86_64-unknown-linux-gnu/release
for target in $(cargo fuzz list); do
  cp "$release_dir/$target" "$OUT/"
done
# Seed corpora: the vector bytes each target reads (`cargo xtask fuzz-seeds`), one zip per target.
seeds=$(mktemp -d)
cargo xtask fuzz-seeds "$seeds"
for dir in "$seeds"/*/; do
  target=$(basename "$dir")
  if [ -n "$(ls -A "$dir")" ]; then
    (cd "$dir" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
  fi
done
