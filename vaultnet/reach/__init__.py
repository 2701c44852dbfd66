"""Reaching the user where they are: notifications at set times, and AI assistants through MCP.

The stage between the command line and the pipeline: it works from a
:class:`~vaultnet.pipeline.session.Session` as the commands do, and answers
with the same data as the JSON interface (:mod:`vaultnet.output.report`).
Nothing here runs unless asked: notifications only when ``[notify]`` lists
URLs, the MCP server only under ``vaultnet mcp``.
"""
