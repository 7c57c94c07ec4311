"""What partners get, and the rules it follows: ``diff`` classifies the changes between two versions of a
contract, ``policy`` decides which version may follow which, and ``publish`` writes ``dist/``.

Not part of the generator: nothing here shapes ``generated/``.
"""
