namespace MyApp.Services;

public class GreetingService
{
    public string Greet(string name) => $"Hello, {name}!";
}
