from psetbench.cli import main

main()
