"""Input to text and tokens: HTML with offset maps, quoted history and accept markers as scopes, language detection, spaCy pipelines, word scans."""
