"""``koembed serve``: the trained models behind an HTTP API and a web explorer.

:func:`create_app` builds the application (FastAPI) around a
:class:`ModelCatalog` of loaded models; :func:`run` starts uvicorn with it.
Needs the ``serve`` extra: ``pip install 'koembed[serve]'``.
"""

from koembed.serve.catalog import ModelCatalog, ModelSource, ServedModel, model_sources

__all__ = ["ModelCatalog", "ModelSource", "ServedModel", "model_sources"]
