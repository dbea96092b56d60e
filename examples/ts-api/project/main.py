print("hello from the ts-api example")
