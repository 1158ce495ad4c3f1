/** The text of `winrmd --help`. */
export const HELP_TEXT = `Usage: winrmd <command> [options]

A WinRM (WS-Management / WinRS) endpoint for Linux.

Commands:
  serve [options]                  Run the endpoint until SIGINT or SIGTERM.
      --bind ADDRESS               Address to listen on (Listener.Address; * is every address).
      --http-port PORT             HTTP port (Service.DefaultPorts.HTTP; 0 picks a free port).
      --https-port PORT            HTTPS port (Service.DefaultPorts.HTTPS; 0 picks a free port).
      --transcript DIR             Write every exchange, decrypted, one 0600 file per connection
                                   (Winrmd.TranscriptDir); credentials and tokens are removed.
  user add NAME --password-stdin [--group GROUP]... [--os-user ACCOUNT] [--create-os-user]
                                   Add a user; the password is the first line of standard input.
                                   Users need a group to get in: pass --group Administrators
                                   (or --group 'Remote Management Users'). Default: no groups.
                                   Their shells run as the Linux account named NAME, or ACCOUNT
                                   with --os-user; --create-os-user creates that account (root
                                   only: useradd with a home directory and no password).
  user list                        List users, one per line: NAME<TAB>GROUP,GROUP<TAB>ACCOUNT
  user remove NAME                 Remove a user.
  config show                      Print the effective configuration like 'winrm get winrm/config'.
  firewall show [ADDRESS]          Print the network profile of each interface, LocalSubnet, the
                                   firewall rules and the Service address filters.
  firewall test ADDRESS [--port PORT] [--profile PROFILE | --local ADDRESS]
                                   Whether a connection from ADDRESS to PORT (default: the HTTP
                                   port) is let in, and by which rule: for each profile, for one,
                                   or for the profile of the interface holding a local address.
  events [--follow] [--id ID]... [--since TIME] [--xml]
                                   Print the security events serve recorded (the events file in
                                   the state directory), oldest first, as JSON lines or, with
                                   --xml, as Windows event XML. --id keeps those EventIDs (4624,
                                   4625...); --since a time (2024-05-01T12:00:00Z) or an age (10m,
                                   2h, 7d); --follow prints new events as they come.
  health [--timeout MS]            Check that each enabled listener answers an anonymous Identify
                                   (as Test-WSMan sends it): exit 0, else 1; one line of output.
  transcript show FILE             Print a transcript file readably: per exchange the time,
                                   direction, method or status, and the envelope indented.
  help, --help                     Show this help.
  --version                        Print the version.

Options for serve, user, config, firewall, events and health:
  --config FILE                    Read settings from a .yaml/.yml or .toml file.
  --set KEY=VALUE                  Set one setting (repeatable; wins over the file), e.g.
                                   --set Service.Auth.Basic=false
  --state-dir DIR                  Where users.json and the generated certificate live
                                   (Winrmd.StateDir). Default: /var/lib/winrmd when run as root,
                                   else $XDG_STATE_HOME/winrmd or ~/.local/state/winrmd; run
                                   'user' commands as the same user as 'serve', or pass the same
                                   --state-dir to both.

Environment:
  WINRMD_CONFIG                    The --config FILE when --config is not given (every command).
  WINRMD_ADMIN_PASSWORD            serve: the password of the Administrator made on first start
                                   (when there is no user yet); otherwise one is generated and
                                   printed once.
  WINRMD_ADMIN_PASSWORD_FILE       serve: ... or a file whose first line is that password.
  WINRMD_USERS_FILE                serve: a YAML/JSON file of users to add or update at each start
                                   (users: [{name, password | passwordFile, groups, osUser,
                                   createOsUser}]); their Linux accounts are created when missing.

Exit status: 0 on success, 1 when the command failed, 2 for a mistake on the command line or in
the configuration.
`;
