"""The HTTP pre-send hook: request and response models, helpdesk adapters, the LanguageTool-compatible endpoint, the server."""
