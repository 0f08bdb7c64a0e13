#!/usr/bin/env bash
# The canonical koembed run: Korean reviews -> mecab tokens -> word2vec -> neighbours of 희망.
#
# Corpus, first that works:
#   1. NSMC downloaded (or copied from $KOEMBED_MIRROR) by `koembed corpus download nsmc`;
#   2. a local copy of the raw NSMC reviews at $NSMC_REVIEWS (default ../shared/data/nsmc/reviews.tsv.xz),
#      its text column, first $NSMC_LINES lines;
#   3. konlpy's bundled corpora (kolaw + kobill): small, offline, and about law, so the query becomes 국민.
set -euo pipefail
cd "$(dirname "$0")/.."

KOEMBED=${KOEMBED:-koembed}
DEMO=${DEMO_DIR:-demo}
NSMC_REVIEWS=${NSMC_REVIEWS:-../shared/data/nsmc/reviews.tsv.xz}
NSMC_LINES=${NSMC_LINES:-200000}
mkdir -p "$DEMO"

query=희망
read_options=()
min_count=5
epochs=5
if "$KOEMBED" corpus download nsmc -o "$DEMO/corpora" --overwrite; then
    corpus=("$DEMO/corpora/nsmc.txt")
elif [ -f "$NSMC_REVIEWS" ]; then
    echo "notice: NSMC could not be downloaded; using the local NSMC reviews at $NSMC_REVIEWS" \
         "(text column, first $NSMC_LINES lines)" >&2
    corpus=("$NSMC_REVIEWS")
    read_options=(--column 4 --max-lines "$NSMC_LINES")
else
    echo "notice: NSMC is not available here (no internet, no mirror, no local copy);" \
         "falling back to konlpy's bundled Korean corpora kolaw + kobill (4,567 lines of law)." \
         "희망 does not occur there, so the demo asks for neighbours of 국민." >&2
    corpus=(kolaw kobill)
    query=국민
    min_count=2
    epochs=20
fi

set -x
"$KOEMBED" tokenize "${corpus[@]}" "${read_options[@]}" -o "$DEMO/corpus.mecab" \
    --tokenizer mecab --user-dict data/user_dict.example.tsv --workers 2 --overwrite
"$KOEMBED" train word2vec "$DEMO/corpus.mecab" -o "$DEMO/w2v" \
    --dim 100 --window 5 --min-count "$min_count" --epochs "$epochs" --overwrite
"$KOEMBED" similar "$query" --model "$DEMO/w2v" --topn 10
"$KOEMBED" similar "${query}을" --model "$DEMO/w2v" --topn 5
