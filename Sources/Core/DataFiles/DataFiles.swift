// Dataset manifest, checksums and file readers live here.
