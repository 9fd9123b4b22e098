using Microsoft.EntityFrameworkCore;

namespace MyApp.Models;

public record Product(int Id, string Name, decimal Price, int Stock);

public class CatalogDb(DbContextOptions<CatalogDb> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();
}
