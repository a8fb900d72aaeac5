from amina.cli import main

main()
