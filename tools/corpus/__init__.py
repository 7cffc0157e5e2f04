"""The benchmark corpora: synthetic replies made from the bundled real ones, and their build into a database."""
