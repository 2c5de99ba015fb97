# SPDX-License-Identifier: MIT
# Makes the rig a package for the host's pytest, so its conftest modules do not
# shadow tests/conftest.py under the module name "conftest".
