"""Train step: runs in its own image (curl installed, MODEL_DIR and TRAIN_EPOCHS set)."""
import json
import os
import shutil

from stowage_demo_core import greet
from stowage_demo_features import features

print(
    json.dumps(
        {
            "step": "train",
            "greeting": greet("train"),
            "features": features([1.0, 2.0, 3.5]),
            "model_dir": os.environ.get("MODEL_DIR"),
            "epochs": int(os.environ.get("TRAIN_EPOCHS", "0")),
            "curl": bool(shutil.which("curl")),
        }
    )
)
