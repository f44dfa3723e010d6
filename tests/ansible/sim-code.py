#!/usr/bin/env python3
"""A stand-in for a mailbox script: prints the latest sign-in code the simulator mailed.

The playbook runs it on the controller as beeper_setup_code_command, with BEEPER_SETUP_BASE_URL and
BEEPER_SETUP_EMAIL in its environment; it reads the simulator's GET /_sim/code?email=E.
"""
import json
import os
import sys
import urllib.parse
import urllib.request

base = os.environ["BEEPER_SETUP_BASE_URL"].rstrip("/")
email = os.environ["BEEPER_SETUP_EMAIL"]
with urllib.request.urlopen(f"{base}/_sim/code?{urllib.parse.urlencode({'email': email})}", timeout=10) as response:
    code = json.load(response).get("code")
if not code:
    sys.exit("no code mailed yet")
print(code)
