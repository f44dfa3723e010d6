#!/usr/bin/env python3
"""A stand-in for a mailbox script: prints the latest sign-in code the simulator mailed.

The playbook runs it on the controller as beeper_setup_code_command, with BEEPER_SETUP_EMAIL and either
BEEPER_SETUP_BASE_URL (on_host) or BEEPER_SETUP_REMOTE_PORT (controller) in its environment; it reads the
simulator's GET /_sim/code?email=E. In the test the "remote" simulators listen on this machine, so the
remote API port is reachable here too (beeper-setup itself only ever reaches them through the ssh tunnel).
"""
import json
import os
import sys
import urllib.parse
import urllib.request

base = (os.environ.get("BEEPER_SETUP_BASE_URL") or f"http://127.0.0.1:{os.environ['BEEPER_SETUP_REMOTE_PORT']}").rstrip("/")
email = os.environ["BEEPER_SETUP_EMAIL"]
with urllib.request.urlopen(f"{base}/_sim/code?{urllib.parse.urlencode({'email': email})}", timeout=10) as response:
    code = json.load(response).get("code")
if not code:
    sys.exit("no code mailed yet")
print(code)
