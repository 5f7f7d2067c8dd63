"""Constants of the imagekitio 4.x surface (URLs, defaults, error messages, transformation codes)."""
