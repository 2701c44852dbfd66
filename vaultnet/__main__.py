from vaultnet.cli.main import main

main(prog_name="vaultnet")
