{
  "targets": [
    {
      "target_name": "fsextra",
      "sources": ["fsextra.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
