project = "statusdoc test"
extensions = ["statusdoc.sphinxext"]
statusdoc_specs = {"door": "door.toml"}
numfig = True
