using KafkaAnalyzers.DeadLetterTool;

return await DeadLetterCommandLine.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
