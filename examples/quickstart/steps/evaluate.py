"""Evaluate step: shares the pipeline image with `load`."""
import json

from stowage_demo_features import features

print(json.dumps({"step": "evaluate", "features": features([0.5, 1.5])}))
