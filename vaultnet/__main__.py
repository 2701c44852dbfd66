from vaultnet.cli.main import run

run()
