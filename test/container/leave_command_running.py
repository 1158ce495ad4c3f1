"""Opens a shell on a winrmd endpoint with pywinrm's Protocol (NTLM over HTTP, encrypted), starts a
command in it and exits without deleting the shell or ending the command, as a client that goes
away would. Prints the ShellId.

Usage: /usr/bin/python3 leave_command_running.py ENDPOINT USER PASSWORD COMMAND_LINE"""
import sys

from winrm.protocol import Protocol

endpoint, user, password, command_line = sys.argv[1:]
protocol = Protocol(endpoint, transport='ntlm', username=user, password=password)
shell_id = protocol.open_shell()
protocol.run_command(shell_id, command_line)
print(shell_id)
