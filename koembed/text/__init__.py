"""Reading text: corpora (local, bundled, downloaded), normalizers, the user
dictionary, jamo, and the benchmark files."""
