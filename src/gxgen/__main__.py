from gxgen.cli import main

main()
