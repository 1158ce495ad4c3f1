/** The text of `winrmd --help`. */
export const HELP_TEXT = `Usage: winrmd <command> [options]

A WinRM (WS-Management / WinRS) endpoint for Linux.

Commands:
  serve [options]                  Run the endpoint until SIGINT or SIGTERM.
      --bind ADDRESS               Address to listen on (Listener.Address; * is every address).
      --http-port PORT             HTTP port (Service.DefaultPorts.HTTP; 0 picks a free port).
      --https-port PORT            HTTPS port (Service.DefaultPorts.HTTPS; 0 picks a free port).
  user add NAME --password-stdin [--group GROUP]...
                                   Add a user; the password is the first line of standard input.
                                   Users need a group to get in: pass --group Administrators
                                   (or --group 'Remote Management Users'). Default: no groups.
  user list                        List users, one per line: NAME<TAB>GROUP,GROUP
  user remove NAME                 Remove a user.
  config show                      Print the effective configuration like 'winrm get winrm/config'.
  firewall show [ADDRESS]          Print the network profile of each interface, LocalSubnet, the
                                   firewall rules and the Service address filters.
  firewall test ADDRESS [--port PORT] [--profile PROFILE | --local ADDRESS]
                                   Whether a connection from ADDRESS to PORT (default: the HTTP
                                   port) is let in, and by which rule: for each profile, for one,
                                   or for the profile of the interface holding a local address.
  help, --help                     Show this help.
  --version                        Print the version.

Options for serve, user, config and firewall:
  --config FILE                    Read settings from a .yaml/.yml or .toml file.
  --set KEY=VALUE                  Set one setting (repeatable; wins over the file), e.g.
                                   --set Service.Auth.Basic=false
  --state-dir DIR                  Where users.json and the generated certificate live
                                   (Winrmd.StateDir). Default: /var/lib/winrmd when run as root,
                                   else $XDG_STATE_HOME/winrmd or ~/.local/state/winrmd; run
                                   'user' commands as the same user as 'serve', or pass the same
                                   --state-dir to both.

Exit status: 0 on success, 1 when the command failed, 2 for a mistake on the command line or in
the configuration.
`;
