# Exports keep no tables: consent uploads moved to clusters.ConsentUpload.
