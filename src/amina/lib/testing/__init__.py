"""Test helpers every app's tests may share: the access matrix's vocabulary (``access``)
and running the ``amina`` command in a separate process (``processes``). Pure, like the
rest of ``amina.lib``: they import no Amina app, so a platform app's tests may use them.
"""
