"""From an input file to a typed result and its files: the two checks as the commands, batch
workers and the Python API run them (:mod:`.photo`, :mod:`.gait`; the files they write:
:mod:`.photo_files`, :mod:`.gait_files`)."""
