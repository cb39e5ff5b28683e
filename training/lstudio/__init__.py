"""Latent Studio training code: data, networks, export and model cards (snake_case, one idea a file)."""
