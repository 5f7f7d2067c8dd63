"""Framework integrations (each an optional extra): ``imagekitio[django]``, ``imagekitio[flask]``."""
