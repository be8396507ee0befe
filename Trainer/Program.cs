using Trainer.Commands;

// Trains, evaluates and verifies the digit classifiers and runs the activation study. Usage:
//   dotnet run --project Trainer -c Release -- train|evaluate|verify|study [options]
//   dotnet run --project Trainer -c Release -- COMMAND --help
return TrainerCommandLine.Create().Parse(args).Invoke();
