"""Drives the winrmd started by inside.sh with pywinrm, inside the cgroup test VM, and prints what
it finds as `winrmd-vm-fact {json}` lines for test/cgroup-vm/cgroup-vm.test.ts to assert on.

usage: check.py SCENARIO LIMIT_MB SERVER_PID
"""
import json
import os
import socket
import sys
import time

import winrm

scenario, limit_mb, server_pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ALLOC = '/tmp/winrmd-alloc.py'
DELEGATED_ROOT = '/sys/fs/cgroup/winrmd-ct'


def fact(name, value):
    print('winrmd-vm-fact ' + json.dumps({'scenario': scenario, 'name': name, 'value': value}), flush=True)


def wait_for_port(port, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            return
        except OSError:
            # Gone (it failed to start; inside.sh shows its log) or too slow.
            os.kill(server_pid, 0)
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def cgroup_dirs():
    if not os.path.isdir(DELEGATED_ROOT):
        return None
    found = []
    for parent, dirs, _ in os.walk(DELEGATED_ROOT):
        found += [os.path.relpath(os.path.join(parent, d), DELEGATED_ROOT) for d in dirs]
    return sorted(found)


# Allocates and touches MB mebibytes (each page written), holds them SECONDS, reports MemoryError.
with open(ALLOC, 'w') as script:
    script.write(
        'import sys, time\n'
        'try:\n'
        "    block = b'\\x01' * (int(sys.argv[1]) << 20)\n"
        'except MemoryError:\n'
        "    print('MemoryError', flush=True)\n"
        '    sys.exit(3)\n'
        'time.sleep(float(sys.argv[2]))\n'
    )
os.chmod(ALLOC, 0o644)

started = time.monotonic()
wait_for_port(5985, 180)
fact('startSeconds', round(time.monotonic() - started, 1))
protocol = winrm.Protocol(
    'http://127.0.0.1:5985/wsman', transport='basic', username='vmuser', password='Vm-Passw0rd',
    operation_timeout_sec=60, read_timeout_sec=70,
)


def run(shell, line):
    command = protocol.run_command(shell, line, console_mode_stdin=False)
    stdout, stderr, code = protocol.get_command_output(shell, command)
    protocol.cleanup_command(shell, command)
    return {'stdout': stdout.decode(errors='replace'), 'stderr': stderr.decode(errors='replace'), 'code': code}


shell = protocol.open_shell()
own = run(shell, "sed -n 's/^0:://p' /proc/self/cgroup")
fact('commandCgroup', own['stdout'].strip())
fact('memoryMax', run(shell, 'cat "/sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup)/memory.max"'))
fact('treeOpen', cgroup_dirs())
# Two processes, each well under RLIMIT_DATA (the limit per process), together over the limit.
half = limit_mb * 6 // 10
fact('together', run(
    shell,
    f'python3 {ALLOC} {half} 5 & first=$!; python3 {ALLOC} {half} 5 & second=$!; '
    'wait $first; echo "exit $?"; wait $second; echo "exit $?"; '
    'cat "/sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup)/memory.events" 2>/dev/null | grep oom_kill',
))
# One process over the limit: RLIMIT_DATA fails its allocation before the cgroup acts.
fact('alone', run(shell, f'python3 {ALLOC} {limit_mb + 50} 0'))
try:
    protocol.run_command(shell, '/nonexistent/winrmd-vm', skip_cmd_shell=True, console_mode_stdin=False)
    fact('missing', 'started')
except Exception as error:  # pywinrm raises WinRMError or WinRMTransportError for a fault
    fact('missing', f'{type(error).__name__}: {error}')
protocol.close_shell(shell)
deadline = time.monotonic() + 30
while cgroup_dirs() is not None and any('shell-' in d for d in cgroup_dirs()) and time.monotonic() < deadline:
    time.sleep(0.2)
fact('treeClosed', cgroup_dirs())
