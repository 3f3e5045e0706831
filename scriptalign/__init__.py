"""scriptalign."""
