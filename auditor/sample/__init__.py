"""The bundled sample: a deterministic month of X activity for the fictional company Acme."""
