"""Command line and runtime glue of the call-center suite."""
