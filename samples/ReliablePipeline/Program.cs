Console.WriteLine("ReliablePipeline: not implemented yet");
