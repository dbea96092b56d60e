"""Load step: prints the rows it would hand to training."""
import json

from stowage_demo_core import greet

rows = [1.0, 2.0, 3.5]
print(json.dumps({"step": "load", "greeting": greet("load"), "rows": rows}))
